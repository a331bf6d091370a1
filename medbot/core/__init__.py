"""The functional core: pure domain logic over plain data, with no I/O, threads or actors."""
