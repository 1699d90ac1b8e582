-- ListCategories pages through a tenant's active reportable services in
-- (category_group, service_code) order: keyset on that index.
CREATE INDEX services_categories_idx ON services (tenant, category_group, service_code)
  WHERE reportable AND status = 'active';
