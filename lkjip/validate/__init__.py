"""Validate stage: schema (structure), then meaning checks, declared corrections and consistency of figures."""
