"""Providers for every provider key of the testsuite, generic over the backend profile."""
