locals {
  services = {
    hotel   = { description = "Reserves and cancels hotel rooms", handler = "hotel" }
    flight  = { description = "Reserves and cancels flights", handler = "flight" }
    payment = { description = "Charges and refunds payments", handler = "payment" }
  }
  functions = { for service, _ in local.services : service => module.service[service].function_arn }
  # A missing field would fail a later step's Parameters with States.Runtime, which no Catch can
  # catch, after the hotel is booked: the request is checked before anything is reserved.
  request_fields = ["bookingId", "hotel", "flight", "amount", "card"]
  # Lambda's own transient errors, retried on every step.
  lambda_retry = {
    ErrorEquals     = ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"]
    IntervalSeconds = 1, MaxAttempts = 3, BackoffRate = 2
  }
  # A compensation must finish: it is retried on any error, and only then does the saga stop for a person.
  compensation_retry = [{
    ErrorEquals     = ["States.ALL"]
    IntervalSeconds = var.compensation_retry.interval_seconds
    BackoffRate     = var.compensation_retry.backoff_rate
    MaxAttempts     = var.compensation_retry.max_attempts
  }]
  stop_for_a_person = [{ ErrorEquals = ["States.ALL"], ResultPath = "$.compensationError", Next = "CompensationFailed" }]
  # Each step is undone when it or a later step fails: its compensation is safe even if it never happened.
  undo = {
    RefundPayment = { service = "payment", action = "refund", next = "CancelFlight" }
    CancelFlight  = { service = "flight", action = "cancel", next = "CancelHotel" }
    CancelHotel   = { service = "hotel", action = "cancel", next = "BookingFailed" }
  }
}

module "bookings" {
  source   = "../../modules/table"
  for_each = local.services

  name                   = "${var.name}-${each.key}"
  hash_key               = "bookingId"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

module "service" {
  source   = "../../modules/lambda-function"
  for_each = local.services

  name               = "${var.name}-${each.key}"
  description        = "${each.value.description} (${var.name})"
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  handler            = "booking_saga.handler.${each.value.handler}"
  timeout            = 10
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = merge({
    TABLE_NAME              = module.bookings[each.key].table_name
    POWERTOOLS_SERVICE_NAME = "${var.name}-${each.key}"
  }, each.key == "payment" ? { PAYMENT_LIMIT = tostring(var.payment_limit) } : {})
  policy_statements = [
    { sid = "OwnBookings", actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], resources = [module.bookings[each.key].table_arn] },
  ]
}

module "workflow" {
  source = "../../modules/workflow"

  name                   = var.name
  log_level              = var.log_level
  include_execution_data = var.include_execution_data
  log_retention_days     = var.log_retention_days
  kms_key_arn            = var.kms_key_arn
  alarms                 = var.alarms
  tags                   = var.tags
  policy_statements = [
    { sid = "InvokeServices", actions = ["lambda:InvokeFunction"], resources = values(local.functions) },
  ]
  definition = jsonencode({
    Comment = "Booking saga of ${var.name}: hotel, flight, payment; on a failure, undo in reverse order"
    StartAt = "CheckRequest"
    States = merge({
      CheckRequest = {
        Type = "Choice"
        Choices = [{
          And = flatten([for field in local.request_fields : [
            { Variable = "$.${field}", IsPresent = true },
            { Variable = "$.${field}", IsString = true },
          ]])
          Next = "ReserveHotel"
        }]
        Default = "InvalidRequest"
      }
      ReserveHotel = {
        Type       = "Task"
        Resource   = local.functions["hotel"]
        Parameters = { action = "reserve", "bookingId.$" = "$.bookingId", "hotel.$" = "$.hotel" }
        ResultPath = "$.hotelBooking"
        Retry      = [local.lambda_retry]
        Catch      = [{ ErrorEquals = ["States.ALL"], ResultPath = "$.error", Next = "CancelHotel" }]
        Next       = "ReserveFlight"
      }
      ReserveFlight = {
        Type       = "Task"
        Resource   = local.functions["flight"]
        Parameters = { action = "reserve", "bookingId.$" = "$.bookingId", "flight.$" = "$.flight" }
        ResultPath = "$.flightBooking"
        Retry      = [local.lambda_retry]
        Catch      = [{ ErrorEquals = ["States.ALL"], ResultPath = "$.error", Next = "CancelFlight" }]
        Next       = "TakePayment"
      }
      TakePayment = {
        Type       = "Task"
        Resource   = local.functions["payment"]
        Parameters = { action = "charge", "bookingId.$" = "$.bookingId", "amount.$" = "$.amount", "card.$" = "$.card" }
        ResultPath = "$.payment"
        Retry      = [local.lambda_retry]
        Catch      = [{ ErrorEquals = ["States.ALL"], ResultPath = "$.error", Next = "RefundPayment" }]
        Next       = "Booked"
      }
      Booked = { Type = "Succeed" }
      }, {
      for state, step in local.undo : state => {
        Type       = "Task"
        Resource   = local.functions[step.service]
        Parameters = { action = step.action, "bookingId.$" = "$.bookingId", "reason.$" = "$.error.Error" }
        ResultPath = "$.${lower(substr(state, 0, 1))}${substr(state, 1, -1)}"
        Retry      = local.compensation_retry
        Catch      = local.stop_for_a_person
        Next       = step.next
      }
      }, {
      InvalidRequest     = { Type = "Fail", Error = "Booking.InvalidRequest", Cause = "A booking needs bookingId, hotel, flight, amount and card, each a string: nothing was reserved." }
      BookingFailed      = { Type = "Fail", Error = "Booking.Failed", Cause = "A step failed; every step before it was undone (see the execution's history)." }
      CompensationFailed = { Type = "Fail", Error = "Booking.CompensationFailed", Cause = "A compensation kept failing: the booking needs a person (its bookings are in the services' tables)." }
    })
  })
}
