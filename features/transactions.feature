Feature: Transactions
  Wallet users send transactions at a steady rate; the cluster includes
  them in its blocks.

  Scenario: transactions at one per block are included
    Given deployer is "local"
    And topology has 2 validators and 1 executors
    And slots last 100 milliseconds
    And wallets total funds is 1000 split across 10 users
    And run duration is 10 seconds
    And transactions rate is 1 per block
    And expect consensus liveness
    When run scenario
    Then scenario should succeed
    And at least 90% of transactions are included

  Scenario: a few users carry a higher rate
    Given deployer is "local"
    And topology has 3 nodes
    And slots last 200 milliseconds
    And the active slot coefficient is 0.8
    And wallets total funds is 1000 split across 10 users
    And run duration is 10 seconds
    And transactions rate is 3 per block using 4 users
    And transactions must be at least 80% included
    When run scenario
    Then the scenario should succeed
    And at least 80% of transactions are included
    And all nodes agree on every block deeper than 10
