Feature: Smoke
  A small cluster of refnode validators makes blocks and agrees on them.
  The phrases of the reference framework's smoke features, unchanged.

  Scenario: one validator and one executor stay live
    Given deployer is "local"
    And topology has 1 validators and 1 executors
    And slots last 100 milliseconds
    And run duration is 10 seconds
    And expect consensus liveness
    When run scenario
    Then scenario should succeed

  Scenario: the CLI deployer runs three nodes in a chain
    Given we have a CLI deployer specified
    And topology has 3 nodes
    And the network layout is "chain"
    And slots last 100 milliseconds
    And run duration is 10 seconds
    And expect consensus liveness
    When run scenario
    Then scenario should succeed
    And consensus liveness holds
    And every node reaches height at least 20
    And all nodes agree on every block deeper than 10
    And no node crashed
