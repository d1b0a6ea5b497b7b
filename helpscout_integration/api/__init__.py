"""DRF endpoints and the Python API for conversations opened and read from the product.

End users only ever see their own conversations (matched by customer email) and the
public threads of them; staff get a small read API over the mirror.
"""
