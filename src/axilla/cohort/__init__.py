"""Cohorts at registry scale: stream chunks -> compute -> write, locally or on Dask.

    chunk.compute_chunk   the one chunk function (raw columns -> figures + refusals)
    run.run_local         the local engine (CSV/Parquet, bounded memory, progress bar)
    distributed.run_dask  the Dask engine (same chunk function over Parquet partitions)
    mapping               YAML column mappings and the pre-run check
    synth                 synthetic cohorts, outcomes optionally from PREDICT's own hazards
    report                validation of predictions against follow-up: JSON and HTML
"""
