"""news_etl: raw news files to a SQL-queryable record of who said what, who was named, and how many were killed or hurt."""
__version__ = "0.1.0"
