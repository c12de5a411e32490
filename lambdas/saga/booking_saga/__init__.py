"""P20 saga: three services (hotel, flight, payment), each owning its table, each able to undo what it
did. Step Functions calls them in order and, on a failure, their compensations in reverse order."""
