"""Parameter files shipped with the library, one per component plus the programme."""
