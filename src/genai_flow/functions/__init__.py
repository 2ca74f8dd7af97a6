"""One module per MLRun job function; each handler's docstring is its entry point's help."""
