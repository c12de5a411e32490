"""P29 spa: the site's changes invalidated at the edge."""
