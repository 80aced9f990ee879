Feature: Failing

  @wip
  Scenario: wrong count
    Given I have 10 cukes
    When I eat 3 cukes
    Then I should have 8 cukes

  Scenario: undefined
    Given I have 10 cukes
    When I juggle 3 cukes
