# Empty dependencies file for example_user_chain.
# This may be replaced when dependencies are built.
