"""The assessment family: the therapist's starting point, a sequence of measuring steps (one trial per step).

``schema.py``: its level file; ``setup.py``: the camera set-up check; ``measures.py``: what each step measures;
``rules.py``: the steps; ``record.py``: the :class:`~levels.assessment.record.Assessment` saved per patient.
"""
