"""Everything that reaches into WeasyPrint's internals, written against one version range: Thai line breaks
and letter spacing in Pango layouts (`pango`), Thai justification (`justify`), the true text layer
(`textlayer`), font subsets (`fontsubset`) and where each laid-out page begins (`pagelist`).
"""
