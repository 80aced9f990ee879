Feature: Long run
  A run long enough to be interrupted (cleanup test).

  Scenario: two validators for two minutes
    Given deployer is "local"
    And topology has 2 validators
    And slots last 100 milliseconds
    And run duration is 120 seconds
    And expect consensus liveness
    When run scenario
    Then scenario should succeed
