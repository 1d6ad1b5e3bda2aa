# Drives exec with Debian's python3-kubernetes (WebSocket, v4.channel.k8s.io): output, stdin, and the exit code.
import sys

from kubernetes import client, config
from kubernetes.stream import stream

config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()
pod, ns = sys.argv[2], sys.argv[3]

out = stream(v1.connect_get_namespaced_pod_exec, pod, ns, container="app", command=["sh", "-c", "echo py-out; echo py-err >&2"],
             stderr=True, stdin=False, stdout=True, tty=False)
assert "py-out" in out and "py-err" in out, repr(out)

resp = stream(v1.connect_get_namespaced_pod_exec, pod, ns, container="app", command=["cat"],
              stderr=True, stdin=True, stdout=True, tty=False, _preload_content=False)
resp.write_stdin("typed-in\n")
got = ""
while resp.is_open() and "typed-in" not in got:
    resp.update(timeout=5)
    got += resp.read_stdout()
assert got == "typed-in\n", repr(got)
resp.close()

resp = stream(v1.connect_get_namespaced_pod_exec, pod, ns, container="app", command=["sh", "-c", "exit 7"],
              stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
resp.run_forever(timeout=10)
assert resp.returncode == 7, resp.returncode

resp = stream(v1.connect_get_namespaced_pod_exec, pod, ns, container="app", command=["true"],
              stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
resp.run_forever(timeout=10)
assert resp.returncode == 0, resp.returncode
print("python exec ok")
