#!/usr/bin/env bash
# Every place that names the services follows services/services.txt, the one
# list: a service folder, its binary in docker-compose.yml with the listed
# port, a manifest in deploy/k8s/ with the listed port, the services'
# upstream address in both (in deploy/k8s/ a dns:/// name of a headless
# Service, with replicas and a PodDisruptionBudget); and nothing names a
# service the list lacks.
# Usage: services_list_test.sh PROJECT_DIR
set -u
root="${1:?project dir}"
passed=0 failed=0
check() {  # check DESCRIPTION COMMAND...
  if "${@:2}" >/dev/null 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $1"; fi
}

declare -A listed=()
while read -r name port _; do
  [[ "$name" =~ ^[a-z] ]] || continue
  listed[$name]=1
  up="${name^^}"
  check "services/$name/main.cpp exists" test -f "$root/services/$name/main.cpp"
  check "services/$name/CMakeLists.txt uses sportello_add_service" grep -q "sportello_add_service($name" "$root/services/$name/CMakeLists.txt"
  check "docker-compose.yml runs sportello-$name" grep -q "command: \[\"sportello-$name\"\]" "$root/docker-compose.yml"
  check "docker-compose.yml gives $name its port $port" grep -q "SPORTELLO_${up}_ADDR: .*:$port" "$root/docker-compose.yml"
  check "deploy/k8s/$name.yaml exists" test -f "$root/deploy/k8s/$name.yaml"
  check "deploy/k8s/$name.yaml runs sportello-$name" grep -q "sportello-$name" "$root/deploy/k8s/$name.yaml"
  check "deploy/k8s/$name.yaml listens on $port" grep -q "containerPort: $port" "$root/deploy/k8s/$name.yaml"
  check "deploy/Dockerfile exposes $name's ports $port and $((port + 1000))" \
    grep -Eq "^EXPOSE .* $port .*$((port + 1000))( |\$)" "$root/deploy/Dockerfile"
  check "deploy/k8s/config.yaml gives the address dns:///$name:$port" \
    grep -q "SPORTELLO_${up}_ADDR: \"dns:///$name:$port\"" "$root/deploy/k8s/config.yaml"
  check "deploy/k8s/$name.yaml has a headless Service (every replica in DNS)" grep -q "clusterIP: None" "$root/deploy/k8s/$name.yaml"
  check "deploy/k8s/$name.yaml has a PodDisruptionBudget" grep -q "kind: PodDisruptionBudget" "$root/deploy/k8s/$name.yaml"
  check "deploy/k8s/$name.yaml runs 2 replicas" grep -q "replicas: 2" "$root/deploy/k8s/$name.yaml"
done <"$root/services/services.txt"

check "the list names at least one service" test "${#listed[@]}" -gt 0
for dir in "$root"/services/*/; do
  name="$(basename "$dir")"
  [[ -f "$dir/main.cpp" ]] || continue
  check "services/$name is in services/services.txt" test -n "${listed[$name]:-}"
done
for name in $(grep -o 'command: \["sportello-[a-z]*"\]' "$root/docker-compose.yml" | sed 's/.*sportello-\([a-z]*\).*/\1/'); do
  [[ "$name" == gateway ]] && continue
  check "docker-compose.yml's sportello-$name is in services/services.txt" test -n "${listed[$name]:-}"
done
for file in "$root"/deploy/k8s/*.yaml; do
  name="$(basename "$file" .yaml)"
  grep -q 'kind: Deployment' "$file" || continue
  [[ "$name" == gateway ]] && continue
  check "deploy/k8s/$name.yaml is in services/services.txt" test -n "${listed[$name]:-}"
done
echo "$passed passed, $failed failed"
((failed == 0))
