"""每章的练习 one module per chapter; each defines ``EXERCISE`` (a :class:`crmlab.exercises.spec.Exercise`)."""
