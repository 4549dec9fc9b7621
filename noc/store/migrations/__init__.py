"""Schema migrations, one folder per database dialect."""
