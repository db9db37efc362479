#!/bin/sh
# Registers every example connector file mounted under /connectors once the Connect worker answers.
set -eu
until curl -fsS http://127.0.0.1:8083/connectors >/dev/null 2>&1; do sleep 2; done
for file in /connectors/*.json; do
  name=$(sed -n 's/.*"name"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$file" | head -n 1)
  # PUT /connectors/{name}/config takes the inner "config" object: cut it out of {"name":..,"config":{..}}
  config=$(tr -d '\n' < "$file" | sed 's/^.*"config"[[:space:]]*:[[:space:]]*\({.*}\)[[:space:]]*}[[:space:]]*$/\1/')
  echo "registering $name from $file"
  printf '%s' "$config" | curl -fsS -X PUT -H 'Content-Type: application/json' --data-binary @- \
    "http://127.0.0.1:8083/connectors/$name/config"
  echo
done
