"""Running a corpus on this machine: the worker pool (`pool`) the local engine schedules its passes on."""
