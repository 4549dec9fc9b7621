"""The ``noc`` command line. One module a command; ``main`` only dispatches."""
