Feature: Bad values
  Every Given step rejects a bad value with a message naming it.

  Scenario: zero validators
    Given topology has 0 validators

  Scenario: zero nodes
    Given topology has 0 nodes

  Scenario: negative rate
    Given transactions rate is -1 per block

  Scenario: zero rate
    Given transactions rate is 0 per block

  Scenario: unknown deployer
    Given deployer is "cloud"

  Scenario: zero duration
    Given run duration is 0 seconds

  Scenario: funds below users
    Given wallets total funds is 5 split across 10 users

  Scenario: transactions without wallets
    Given topology has 1 validators
    And transactions rate is 1 per block
    When run scenario

  Scenario: a Then step before the run
    Then scenario should succeed

  Scenario: unknown layout
    Given the network layout is "ring"

  Scenario: too short slots
    Given slots last 10 milliseconds
