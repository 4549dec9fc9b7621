"""The Command Center wall and the web app: server-rendered pages, local assets, id/en."""
