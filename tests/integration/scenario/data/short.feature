Feature: Short runs for the reports
  One scenario that passes and one that fails on purpose, so the reports
  carry a run record, a summary and an expectation failure.

  Scenario: two validators make blocks
    Given deployer is "local"
    And topology has 2 validators
    And slots last 100 milliseconds
    And run duration is 3 seconds
    And expect consensus liveness
    When run scenario
    Then scenario should succeed
    And every node reaches height at least 5

  Scenario: an unreachable minimum fails the scenario
    Given deployer is "local"
    And topology has 1 validators
    And slots last 100 milliseconds
    And run duration is 2 seconds
    And expect consensus liveness with minimum 1000 blocks
    When run scenario
    Then scenario should succeed
