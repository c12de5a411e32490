"""P12 big fan: one subscriber's consumer of the events its filter policy lets through."""
