"""P19 state machine: the tasks of an order workflow Step Functions orchestrates (validate, check stock,
score risk, pack each item, record the outcome). Each task is a plain function of its input; errors a
workflow should tell apart are exceptions with names it can Retry or Catch."""
