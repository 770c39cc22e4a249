"""Imported by app.py before anything else: the place to start OpenTelemetry.

Empty as shipped -- writing it is the practical's first step (site: Assessment -> Practical). The
packages in requirements.txt are installed in the lab's Python environment for you.
"""
