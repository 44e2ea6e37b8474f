"""Running a corpus on this machine: `plan` (what is done: learn, clean, resolve, outcomes, shared by every
engine), `local` (the local engine: this process or a pool), `pool` (its worker processes), `resume`
(resumable runs in shards), `output` (`RunOptions`, exit codes, writing outcomes)."""
