"""Exceptions services raise; views and the API turn them into messages or 4xx answers."""


class Conflict(Exception):
    """The record is not in a state that allows this (answered as 409)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
