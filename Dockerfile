# golit in a Jupyter image: a JupyterHub single-user image (Zero to JupyterHub,
# DockerSpawner) and a Binder image (repo2docker builds a root Dockerfile).
#
#   docker build -t golit .
#   docker run --rm -p 8888:8888 golit      # JupyterLab with the Go kernel and the workshop
#
# Stage 1 builds the static golit binary; stage 2 is the Jupyter Docker
# Stacks' base-notebook (JupyterLab, jupyterhub-singleuser, user jovyan with
# uid 1000 as Binder requires) plus golit, its kernelspec and the workshop.
# Cells that run the Go toolchain (`!go run`, `go build`) need Go in the
# image: `docker build --target with-go -t golit:go .` adds it.
#
# See docs/hub.md for what has been run with this file and what has not.

ARG GO_VERSION=1.26
ARG JUPYTER_IMAGE=quay.io/jupyter/base-notebook:latest

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/golit ./cmd/golit \
 && /out/golit version

FROM ${JUPYTER_IMAGE} AS image
# repo2docker passes these; the base image already has this user.
ARG NB_USER=jovyan
ARG NB_UID=1000

USER root
COPY --from=build /out/golit /usr/local/bin/golit
# On a hub with persistent homes the home folder is a volume mounted over
# the image's /home/jovyan: this hook (run by the image's start scripts)
# writes the workshop there; `golit workshop` keeps an attendee's edited
# copy of a notebook.
RUN mkdir -p /usr/local/bin/before-notebook.d \
 && printf '%s\n' '#!/bin/sh' \
      'golit workshop "$HOME/golit-workshop" || true' \
      > /usr/local/bin/before-notebook.d/50-golit-workshop.sh \
 && chmod 755 /usr/local/bin/before-notebook.d/50-golit-workshop.sh

USER ${NB_UID}
# The kernelspec goes into the image's Python environment ($CONDA_DIR), so
# JupyterLab lists "Go (golit)"; the workshop goes into the home folder
# (Binder and `docker run` without a volume start there).
RUN golit install --prefix "${CONDA_DIR}" \
 && golit workshop "${HOME}/golit-workshop" \
 && jupyter kernelspec list
WORKDIR ${HOME}

# The same image with the Go toolchain (docker build --target with-go).
FROM image AS with-go
COPY --from=build /usr/local/go /usr/local/go
ENV PATH=/usr/local/go/bin:${PATH}

# The default target (what repo2docker and a plain `docker build` make).
FROM image
