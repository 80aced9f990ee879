Feature: Smoke
  A small cluster of refnode validators makes blocks and agrees on them.

  Scenario: three validators and one executor stay live
    Given deployer is "local"
    And topology has 3 validators and 1 executors
    And slots last 200 milliseconds
    And run duration is 20 seconds
    And expect consensus liveness
    When run scenario
    Then scenario should succeed
