# Forwards a pod port with Debian's python3-kubernetes (the kubelet's WebSocket port-forward protocol) and echoes through it.
import socket
import sys

from kubernetes import client, config
from kubernetes.stream import portforward

config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()
pod, ns, port = sys.argv[2], sys.argv[3], int(sys.argv[4])

pf = portforward(v1.connect_get_namespaced_pod_portforward, pod, ns, ports=str(port))
s = pf.socket(port)
s.settimeout(10)
payload = b"ping-from-python" * 1000
s.sendall(payload)
got = b""
while len(got) < len(payload):
    chunk = s.recv(65536)
    if not chunk:
        break
    got += chunk
assert got == payload, (len(got), len(payload))
s.close()
assert pf.error(port) is None, pf.error(port)
print("python port-forward ok")
