"""Grading a class on a Ray cluster (``grader grade --cluster ADDRESS``).

Each node that can take a submission gets one :class:`NodeGrader` actor for the batch: it
starts that node's master (the same fence and limits as a local run) and loads the course's
checks once, then grades one submission per call, as many at once as the node's resources
allow (``cpus`` and ``gpus`` per submission, in Ray's resource model). The submission's
files travel to it through Ray, as bytes; its result comes back as the JSON a local run
records, and :func:`grader.grading.batch.grade_batch` writes it here the moment it arrives.

Faults: when a node grader dies mid-submission, its node is asked whether it still lives (a
ping to the restarted actor). A node that is gone costs its submissions nothing: they are
graded elsewhere. A grader that died on a live node counts a strike against each submission
it held; a second strike records the submission as crashed instead of trying it again.
Each result is on disk as soon as it arrives, so a lost connection loses nothing finished,
and ``--resume`` grades the rest.
"""

from __future__ import annotations

import collections
import logging
import math
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from grader.errors import GraderError
from grader.grading.batch import BatchOptions, OnCheck, grade_one
from grader.grading.grade import SubmissionResult, judge_failed
from grader.judge.check import CheckFn, spec_of
from grader.sandbox.master import Master
from grader.sandbox.runner import submission_files

STRIKES = 2  # deaths of a node's grader while holding a submission before it counts as crashed
PATIENCE = 10.0  # seconds between looks at the cluster's nodes while waiting for results


class ClusterError(GraderError):
    """Ray is missing, or the cluster cannot be reached or cannot grade."""


def _ray() -> Any:
    """The ``ray`` module, or a ClusterError saying how to install it."""
    try:
        import ray
    except ImportError:
        raise ClusterError("集群评分需要 Ray：pip install -e '.[cluster]'（或 pip install 'ray[default]'）",
                           "grading on a cluster needs Ray: pip install -e '.[cluster]' (or pip install "
                           "'ray[default]')") from None
    return ray


class NodeGrader:
    """One node's grader for a batch: its master and the checks, kept for every submission it grades."""

    def __init__(self, options: BatchOptions, check_ids: list[str], slots: int, cpus: float) -> None:
        from grader.judge.catalog import load_checks

        loaded = {spec_of(fn).id: fn for fn in load_checks(options.course)}  # the course at the same path here
        missing = [i for i in check_ids if i not in loaded]
        if missing:
            raise ClusterError(f"此节点的课程缺少这些检查：{missing}",
                               f"this node's course lacks these checks: {missing}")
        self.checks = [loaded[i] for i in check_ids]
        self.options = replace(options, gpu_slots=slots)
        self.master = Master(options.course, options.device)
        self.threads, self.cpus = max(1, int(cpus)), options.limits.cpus or cpus
        self.gpu_slots = threading.BoundedSemaphore(slots)

    def ping(self) -> bool:
        """True: the grader is up (restarted, if it died)."""
        return True

    def grade(self, name: str, files: dict[str, bytes]) -> dict[str, Any]:
        """The result (``grading.json``'s content) of the submission ``name`` made of ``files``."""
        with tempfile.TemporaryDirectory(prefix="grader-") as scratch:
            folder = Path(scratch) / name
            folder.mkdir()
            for file_name, data in files.items():
                (folder / file_name).write_bytes(data)
            result = grade_one(folder, checks=self.checks, options=self.options, master=self.master,
                               threads=self.threads, cpus=self.cpus, gpu_slots=self.gpu_slots, on_check=lambda _: None)
        return result.to_json()


@dataclass
class _Node:
    """The driver's view of one node's grader: what it holds now, and what it lost when it died."""

    node_id: str
    actor: Any
    slots: int
    busy: dict[Any, Path] = field(default_factory=dict)  # a pending call → its submission
    lost: list[Path] = field(default_factory=list)  # held when the grader died, awaiting the ping
    ping: Any = None


def slots_on(resources: dict[str, float], cpus: float, gpus: float) -> int:
    """How many submissions a node with ``resources`` grades at once (``cpus``, ``gpus`` each).

    Ray asks for a whole number of GPUs beyond one, so the GPUs held stay whole or below one."""
    slots = math.floor(resources.get("CPU", 0.0) / cpus + 1e-9)
    if gpus > 0:
        slots = min(slots, math.floor(resources.get("GPU", 0.0) / gpus + 1e-9))
        if slots * gpus > 1:
            slots = math.floor(math.floor(slots * gpus + 1e-9) / gpus + 1e-9)
    return max(0, slots)


class ClusterGrading:
    """A :data:`grader.grading.batch.Grading` on the Ray cluster at ``address`` (any of Ray's
    address forms: ``auto``, ``HOST:PORT``, ``ray://HOST:10001``)."""

    def __init__(self, address: str, *, cpus: float = 1.0, gpus: float = 0.0) -> None:
        self.ray = _ray()
        self.node_grader = self.ray.remote(NodeGrader)  # the actor class, made once
        self.address, self.cpus, self.gpus = address, cpus, gpus
        self.given_up: dict[str, str] = {}  # node → why no more is graded there
        self.handed_back = collections.Counter[str]()  # submission → times a node was given up holding it

    def __call__(self, todo: list[Path], checks: list[CheckFn], options: BatchOptions,
                 on_check: OnCheck) -> Iterator[SubmissionResult]:
        if not todo:
            return
        ray = self.ray
        try:
            ray.init(address=self.address, logging_level=logging.WARNING, log_to_driver=False)
        except (ConnectionError, RuntimeError, ValueError) as err:
            raise ClusterError(f"无法连接 Ray 集群 {self.address}：{err}",
                               f"cannot connect to the Ray cluster at {self.address}: {err}") from None
        done = 0
        try:
            for result in self._grade(todo, checks, options):
                done += 1
                for check_result in result.results:
                    on_check(check_result)
                yield result
        except (ConnectionError, ray.exceptions.RaySystemError) as err:
            raise ClusterError(
                f"与集群的连接中断（{err}）：已评 {done}/{len(todo)} 份，结果已写入 {options.out}；"
                "加 --resume 重新运行以评完其余的",
                f"the connection to the cluster was lost ({err}): {done} of {len(todo)} graded, their results "
                f"are in {options.out}; run again with --resume to grade the rest") from None
        finally:
            ray.shutdown()

    def _grade(self, todo: list[Path], checks: list[CheckFn], options: BatchOptions) -> Iterator[SubmissionResult]:
        ray = self.ray
        queue, strikes = collections.deque(todo), collections.Counter[Path]()
        nodes: dict[str, _Node] = {}
        check_ids = [spec_of(fn).id for fn in checks]
        last_look = -PATIENCE
        while queue or any(n.busy or n.ping is not None for n in nodes.values()):
            if time.monotonic() - last_look >= PATIENCE or not nodes:
                self._place(nodes, options, check_ids)
                last_look = time.monotonic()
            for node in nodes.values():
                while queue and node.ping is None and len(node.busy) < node.slots:
                    folder = queue.popleft()
                    node.busy[node.actor.grade.remote(folder.resolve().name, submission_files(folder))] = folder
            waiting = {ref: node for node in nodes.values()
                       for ref in [*node.busy, *([node.ping] if node.ping is not None else [])]}
            ready, _ = ray.wait(list(waiting), num_returns=1, timeout=PATIENCE)
            for ref in ready:
                node = waiting[ref]
                if node.node_id not in nodes:
                    continue  # given up on earlier in this round
                if ref == node.ping:
                    yield from self._after_ping(ref, node, nodes, queue, strikes, checks, options)
                    continue
                folder = node.busy.pop(ref)
                try:
                    yield SubmissionResult.from_json(ray.get(ref))
                except ray.exceptions.RayActorError:  # the node's grader died holding it
                    node.lost.append(folder)
                    if node.ping is None:
                        node.ping = node.actor.ping.remote()
                except ray.exceptions.ObjectLostError:  # finished, but its node went before the result came
                    queue.appendleft(folder)
                except ray.exceptions.RaySystemError:
                    raise
                except ray.exceptions.RayError as err:  # this node cannot grade (unschedulable, no master)
                    queue.appendleft(folder)
                    self._give_up(node, nodes, queue, err)
            if not ready:
                alive = {info["NodeID"] for info in ray.nodes() if info.get("Alive")}
                for node in [n for n in nodes.values() if n.node_id not in alive]:
                    self._give_up(node, nodes, queue, "its node died")

    def _place(self, nodes: dict[str, _Node], options: BatchOptions, check_ids: list[str]) -> None:
        """A grader on each live node that has none yet, has room for a submission and was not given up on."""
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        for info in self.ray.nodes():
            node_id, slots = info["NodeID"], slots_on(info.get("Resources", {}), self.cpus, self.gpus)
            if info.get("Alive") and slots and node_id not in nodes and node_id not in self.given_up:
                actor = self.node_grader.options(
                    num_cpus=slots * self.cpus, num_gpus=slots * self.gpus, max_concurrency=slots, max_restarts=-1,
                    scheduling_strategy=NodeAffinitySchedulingStrategy(node_id, soft=False),
                ).remote(options, check_ids, slots, self.cpus)
                nodes[node_id] = _Node(node_id, actor, slots)
        if not nodes:
            why = "; ".join(dict.fromkeys(self.given_up.values()))
            raise ClusterError(
                f"集群中没有能评分的节点（每份提交需要 {self.cpus:g} 个 CPU、{self.gpus:g} 个 GPU）{why}",
                f"no node of the cluster can grade (each submission needs {self.cpus:g} CPU, {self.gpus:g} GPU)"
                f"{': ' + why if why else ''}")

    def _after_ping(self, ref: Any, node: _Node, nodes: dict[str, _Node], queue: collections.deque[Path],
                    strikes: collections.Counter[Path], checks: list[CheckFn],
                    options: BatchOptions) -> Iterator[SubmissionResult]:
        """The answer to a ping sent after ``node``'s grader died: up again (its node lives, so the
        submissions it held each get a strike) or gone with its node (they go elsewhere, unharmed)."""
        node.ping = None
        try:
            self.ray.get(ref)
        except self.ray.exceptions.ActorUnavailableError:  # still restarting: ask again
            node.ping = node.actor.ping.remote()
            return
        except self.ray.exceptions.RayError as err:
            self._give_up(node, nodes, queue, err)
            return
        lost, node.lost = node.lost, []
        for folder in lost:
            strikes[folder] += 1
            if strikes[folder] < STRIKES:
                queue.appendleft(folder)
            else:
                yield grader_killed(folder, checks, options)

    def _give_up(self, node: _Node, nodes: dict[str, _Node], queue: collections.deque[Path],
                 why: object) -> None:
        """Grade nothing more on ``node``; what its grader held goes back to the queue."""
        nodes.pop(node.node_id, None)
        self.given_up[node.node_id] = str(why).strip().splitlines()[-1][:300] if str(why).strip() else "?"
        held = [*node.lost, *node.busy.values()]
        self.handed_back.update(folder.resolve().name for folder in held)
        queue.extendleft(reversed(held))
        node.busy.clear()
        self.ray.kill(node.actor)


def grader_killed(folder: Path, checks: list[CheckFn], options: BatchOptions) -> SubmissionResult:
    """The result of a submission during which its node's grader died :data:`STRIKES` times: every check crashed."""
    how = f"the node's grader died {STRIKES} times while grading this submission"
    result = judge_failed(folder, checks, RuntimeError(how), device=options.device, seed=options.seed, seconds=0.0,
                          practice=options.course.practice)
    for check_result in result.results:
        check_result.outcome, check_result.details = "crashed", [how]
        check_result.message_zh = "评分进程在评判此提交时两次意外终止，此项记为崩溃。"
        check_result.message_en = "The grading process died twice while judging this submission: this check " \
                                  "counts as crashed."
    return result
