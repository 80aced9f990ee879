Feature: Faults
  The cluster keeps its chain live and consistent while single nodes are
  paused, isolated or restarted.

  Scenario: a paused validator catches up
    Given deployer is "local"
    And topology has 3 validators
    And slots last 100 milliseconds
    And run duration is 8 seconds
    And the recovery allowance is 3 seconds
    And node 2 is paused for 3 seconds after 2 seconds
    And expect consensus liveness
    When run scenario
    Then scenario should succeed
    And all nodes agree on every block deeper than 10
    And no node crashed

  Scenario: an isolated validator rejoins
    Given deployer is "local"
    And topology has 3 validators
    And the network layout is "full"
    And slots last 100 milliseconds
    And run duration is 8 seconds
    And the recovery allowance is 3 seconds
    And node 1 is isolated from the network for 3 seconds after 2 seconds
    And expect consensus liveness
    When run scenario
    Then scenario should succeed
    And all nodes agree on every block deeper than 10

  Scenario: validators restarted at random
    Given deployer is "local"
    And topology has 3 validators
    And slots last 100 milliseconds
    And run duration is 10 seconds
    And the recovery allowance is 3 seconds
    And validators are restarted at random every 2 to 4 seconds
    And expect consensus liveness
    When run scenario
    Then scenario should succeed
    And no node crashed
