"""The clinic web service: settings, database, data access, API, pages, auth, FHIR."""
