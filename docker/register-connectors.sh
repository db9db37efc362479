#!/bin/sh
# Registers every example connector file mounted under /connectors once the Connect worker answers, after
# replacing the host addresses in ADDRESS_MAP ("from=to from=to") by their service names on the compose network.
set -eu
connect=${CONNECT_URL:-http://connect:8083}
until curl -fsS "$connect/connectors" >/dev/null 2>&1; do sleep 2; done
for file in /connectors/*.json; do
  text=$(tr -d '\n' < "$file")
  for pair in ${ADDRESS_MAP:-}; do
    text=$(printf '%s' "$text" | sed "s|${pair%%=*}|${pair#*=}|g")
  done
  name=$(printf '%s' "$text" | sed -n 's/^[^"]*"name"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
  # PUT /connectors/{name}/config takes the inner "config" object: cut it out of {"name":..,"config":{..}}
  config=$(printf '%s' "$text" | sed 's/^.*"config"[[:space:]]*:[[:space:]]*\({.*}\)[[:space:]]*}[[:space:]]*$/\1/')
  echo "registering $name from $file"
  printf '%s' "$config" | curl -fsS -X PUT -H 'Content-Type: application/json' --data-binary @- \
    "$connect/connectors/$name/config"
  echo
done
