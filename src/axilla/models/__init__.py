"""Prognostic models: pure functions of NumPy arrays, coefficients in data files."""
