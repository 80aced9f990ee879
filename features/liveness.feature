Feature: Consensus liveness
  The liveness expectation holds on a healthy cluster, and reports the
  reference framework's text when a target cannot be met.

  Scenario: liveness with a tolerance holds on a full mesh
    Given deployer is "local"
    And topology has 4 validators
    And the network layout is "full"
    And slots last 100 milliseconds
    And run duration is 6 seconds
    And consensus liveness lag allowance is 3
    And expect consensus liveness with tolerance 0.5
    When run scenario
    Then scenario should succeed
    And all nodes agree on every block deeper than 10

  Scenario: an unreachable minimum fails with the reference's text
    Given deployer is "local"
    And topology has 2 validators
    And slots last 100 milliseconds
    And run duration is 5 seconds
    And expect consensus liveness with minimum 1000 blocks
    When run scenario
    Then the scenario fails with "consensus liveness violated (target=1000):"
