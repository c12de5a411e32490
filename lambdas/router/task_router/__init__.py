"""P08 router: an asynchronous function that hands each task to the function of its type."""
