"""Section builders: each returns a :class:`~smp_analysis.assessment.section.Section` of
labelled paragraphs for one notebook of the appendix (or the public version).

=====================  =====  ==========================================
builder                id     notebook
=====================  =====  ==========================================
summary                SUM    00_summary.ipynb
serious_violence       SV     10_serious_violence.ipynb
domestic_abuse         DA     20_domestic_abuse.ipynb
town_centre            TC     30_town_centre.ipynb
young_people           CYP    40_children_young_people.ipynb
generic_priority       (any)  a copy of any priority notebook
wider_determinants     WD     50_wider_determinants.ipynb
themes                 XT     60_themes.ipynb
with_work_undertaken   (any)  appends <ID>.20, the work undertaken, to a priority
comparison             CMP    70_comparison.ipynb (only with ``peers`` in the config)
emerging_concerns      EC     80_emerging_concerns.ipynb
data_and_methods       DM     90_data_and_methods.ipynb
public_summary         PS     99_public.ipynb
=====================  =====  ==========================================
"""

from .comparison import comparison
from .domestic_abuse import domestic_abuse
from .emerging import emerging_concerns_section as emerging_concerns
from .generic import generic_priority
from .methods import data_and_methods
from .public import public_summary
from .serious_violence import serious_violence
from .summary import summary
from .themes import themes
from .town_centre import town_centre
from .wider_determinants import wider_determinants
from .work import with_work_undertaken
from .young_people import young_people

__all__ = [
    "summary",
    "serious_violence",
    "domestic_abuse",
    "town_centre",
    "young_people",
    "generic_priority",
    "wider_determinants",
    "themes",
    "with_work_undertaken",
    "comparison",
    "emerging_concerns",
    "data_and_methods",
    "public_summary",
]
