"""Beacon: what the `{% helpscout_beacon %}` tag hands to Help Scout's Beacon widget.

`identity` (who is signed in), `limits` (Beacon's field limits), `signature` (secure mode),
`suggestions` and `search` (Docs articles per page, from cached rules), `csp` (nonce) and
`config` (the JSON the loader applies). Nothing in this package performs HTTP while a
page renders; Docs searches run in a background task and land in the cache.
"""
