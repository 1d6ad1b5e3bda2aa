# Drives dabba with Debian's python3-kubernetes: list, create, watch (the client sends watch=True), read a Secret.
import base64
import sys
import threading
import time

from kubernetes import client, config, watch

config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()
apps = client.AppsV1Api()

names = [n.metadata.name for n in v1.list_namespace().items]
assert "kube-system" in names, names

v1.create_namespaced_config_map("default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py-cm"), data={"k": "v"}))
cm = v1.read_namespaced_config_map("py-cm", "default")
assert cm.data == {"k": "v"}, cm.data

v1.create_namespaced_secret("default", client.V1Secret(metadata=client.V1ObjectMeta(name="py-secret"), string_data={"password": "s3cret"}))
sec = v1.read_namespaced_secret("py-secret", "default")
assert base64.b64decode(sec.data["password"]).decode() == "s3cret", sec.data

seen = []


def later():
    time.sleep(0.5)
    v1.create_namespaced_config_map("default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="py-watched")))


threading.Thread(target=later).start()
rv = v1.list_namespaced_config_map("default").metadata.resource_version
w = watch.Watch()
for ev in w.stream(v1.list_namespaced_config_map, "default", resource_version=rv, timeout_seconds=5):
    seen.append((ev["type"], ev["object"].metadata.name))
    if ev["object"].metadata.name == "py-watched":
        w.stop()
assert ("ADDED", "py-watched") in seen, seen

dep = client.V1Deployment(
    metadata=client.V1ObjectMeta(name="py-deploy"),
    spec=client.V1DeploymentSpec(
        replicas=1,
        selector=client.V1LabelSelector(match_labels={"app": "py"}),
        template=client.V1PodTemplateSpec(
            metadata=client.V1ObjectMeta(labels={"app": "py"}),
            spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="busybox")]),
        ),
    ),
)
apps.create_namespaced_deployment("default", dep)
apps.patch_namespaced_deployment("py-deploy", "default", {"spec": {"replicas": 3}})
assert apps.read_namespaced_deployment("py-deploy", "default").spec.replicas == 3

# As the seed's business-metrics autoscaler does: read the Deployment, change replicas, patch the whole object back.
# The body carries the resourceVersion it was read at, so a write by the deployment controller in between is a
# 409 Conflict, as on a real cluster: read again and retry.
for attempt in range(20):
    full = apps.read_namespaced_deployment("py-deploy", "default")
    full.spec.replicas = 7
    try:
        apps.patch_namespaced_deployment("py-deploy", "default", full)
        break
    except client.exceptions.ApiException as e:
        if e.status != 409:
            raise
        time.sleep(0.1)
assert apps.read_namespaced_deployment("py-deploy", "default").spec.replicas == 7

# As the seed's configuration manager does: read a ConfigMap and a Secret and decode the secret's values.
cfg = v1.read_namespaced_config_map("py-cm", "default").data
secret = {k: base64.b64decode(v).decode() for k, v in v1.read_namespaced_secret("py-secret", "default").data.items()}
assert cfg["k"] == "v" and secret["password"] == "s3cret", (cfg, secret)
print("python client ok")
