"""Running untrusted submissions: the fence, the processes inside it, and the judge's handle on them.

Layers, from the outside in (each module says what it builds):

- :mod:`.master` (judge side) starts the batch's *master*: a fresh interpreter under
  bubblewrap, in a root built from an allow-list (the Python runtime and the grader's
  runtime modules, read-only; a minimal ``/dev``; its own ``/proc``), with an empty
  environment, a session of its own, no network and a user namespace of its own.
- :mod:`.template` (inside) is the master, which imports torch once, and the *submission
  template* it forks per submission: its own mount, PID, network, IPC and host-name
  namespaces, its files on a size-capped tmpfs (:mod:`.fence`), then no capability, an
  unprivileged uid and a seccomp filter (:mod:`.seccomp`). It forks one *worker*
  (:mod:`.worker`) per check.
- :mod:`.runner` (judge side) sends each check's probes to its worker, with one deadline and
  a size cap per answer, and validates every answer before a check sees it; :mod:`.cgroups`
  gives each submission its CPU share, memory and task caps.
"""
