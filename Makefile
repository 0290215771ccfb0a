# Every target sets up .venv itself (first run: about two minutes). --no-compile: Python
# compiles what it imports on first use, rather than pip compiling every installed file; the
# grader's master runs on a read-only copy of the runtime, so what it imports is compiled here.
# bubblewrap (the grader's fence) comes from the system's packages, installed here when root.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
CLUSTER:= $(VENV)/.cluster
PYTHON ?= python3

.PHONY: demo test bench stubs gpu-check clean

$(STAMP): pyproject.toml
	command -v bwrap >/dev/null || { [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || \
	    apt-get install -y -q bubblewrap >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q bubblewrap >/dev/null 2>&1; } || \
	    echo "bubblewrap could not be installed: grading falls back to a weaker fence and says so"; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-compile -e '.[test]' 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -c "import grader, torch, torchvision, nbgrader; from grader.sandbox.master import warm_runtime; warm_runtime()"
	touch $(STAMP)

# Ray (the cluster extra), for the cluster's tests; its package compiled now, as each of a Ray
# node's processes would otherwise compile what it imports while the node starts
$(CLUSTER): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-compile -e '.[cluster]' 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -m compileall -q -j0 "$$($(PY) -c 'import os, ray; print(os.path.dirname(ray.__file__))')" >/dev/null
	touch $(CLUSTER)

demo: $(STAMP)
	$(VENV)/bin/grader grade examples/submissions/* --out out/demo --seed 0
	$(VENV)/bin/grader report out/demo

test: $(STAMP) $(CLUSTER)
	$(PY) -m ruff check
	$(PY) -m mypy
	# one thread per process: pytest-xdist already runs a worker per core (more threads only contend)
	OMP_NUM_THREADS=1 $(PY) -m pytest tests --numprocesses=auto --maxprocesses=4 --dist=loadfile --no-loadscope-reorder --durations=30

bench: $(STAMP) $(CLUSTER)
	$(PY) -m bench

stubs: $(STAMP)
	$(VENV)/bin/grader stubs

# The CUDA path proven on a machine with a GPU (README, "GPU check"): no .venv or network needed;
# without CUDA it stops at once, non-zero.
gpu-check:
	$(PYTHON) -m gpu_check

clean:
	rm -rf out
