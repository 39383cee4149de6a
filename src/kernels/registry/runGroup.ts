/**
 * Runs that go to a context as one sequence (Run Above / Run Below, a notebook's queued cells): the pipeline sends
 * a group's run only once the group's run before it has ended, so the kernel never holds two of them, and with
 * `stopOnError` a run that does not end ok ends the group's runs still waiting as aborted
 * (`earlier-run-failed`) without their reaching the kernel, as Jupyter's `stop_on_error` does. The kernel's own
 * `stop_on_error` cannot do this for runs sent ahead: it only skips requests it already holds, and a run still on
 * its way would run after the failure. Runs of other callers keep their FIFO place between a group's runs.
 */
export class RunGroup {
  constructor(readonly stopOnError = true) {}
}
