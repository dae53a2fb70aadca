"""Thin request handlers: check input, call one function, shape the answer."""
