# Empty dependencies file for example_protocol.
# This may be replaced when dependencies are built.
