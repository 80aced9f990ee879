@cukes
Feature: Cukes
  Eating cucumbers.

  Scenario: eating some
    Given I have 10 cukes
    When I eat 3 cukes
    Then I should have 7 cukes

  @cleanup
  Scenario: eating all
    Given I have 5 cukes
    When I eat 5 cukes
    Then I should have 0 cukes

  Scenario Outline: eating <eat>
    Given I have <start> cukes
    When I eat <eat> cukes
    Then I should have <left> cukes

    Examples:
      | start | eat | left |
      | 12    | 5   | 7    |
      | 20    | 5   | 15   |

  Scenario: amounts
    Then the amounts add up to 6:
      | who   | amount |
      | alice | 1      |
      | bob   | 5      |
