"""Device data the lab serves: models (identity, MIB modules) and facility OID tables."""
