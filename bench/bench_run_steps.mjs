// The step definitions of bench_run_steps.c for cucumber-js, so that
// bench_run compares both runners on the same features.
import { Given, When, Then } from '@cucumber/cucumber'

Given('I have {int} cukes in my belly', function (n) {
  if (n < 0) throw new Error('negative')
})
When('I eat {int} of them', function (_n) {})
Then('the belly feels {word}', function (w) {
  if (w === undefined) throw new Error('no word')
})
Then(/^the run goes on with step (\d+)$/, function (_n) {})
