"""Knowledge base of Huế's administrative procedures: the bottom layer.

`knowledge` imports neither `bot` nor `actions`; both of them use it.
"""
