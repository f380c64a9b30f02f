"""Interoperability shells: exchange cases and assessments with other systems (FHIR)."""
